/** The leaf: the in-process `Leaf`, its TCP server and the aggregator's client. */
export * from './api.js';
export { Leaf, DEFAULT_LOCK_WAIT_TIMEOUT_MS, type LeafOptions } from './leaf.js';
export { startLeaf, type LeafServer, type StartLeafOptions } from './server.js';
export { connectLeaf, LeafClient, type ConnectLeafOptions } from './client.js';
export { FRAME_BYTES_MAX } from './wire.js';
