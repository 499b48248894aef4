// Worker-thread entry for generate.ts: runs the task in workerData and posts the row counts.
import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type TaskInput } from './generate-task.js';

parentPort?.postMessage(runTask(workerData as TaskInput));
