/**
 * LOCAL INFILE Request ("Protocol::LOCAL INFILE Request"): the server sends 0xFB and a file
 * name; the client answers with the file's content in packets, ended by an empty packet.
 * The content is handed to the backend as a stream of chunks while it arrives.
 */
import { sqlError } from '../errors.js';
import type { ResultLocalInfile, ResultOk } from './backend.js';
import { Capability } from './constants.js';
import { PayloadWriter } from './payload-writer.js';
import type { ResponseContext } from './result-sender.js';

export async function runLocalInfile(
  context: ResponseContext,
  request: ResultLocalInfile,
): Promise<ResultOk> {
  if ((context.capabilities & Capability.LOCAL_FILES) === 0) {
    throw sqlError(
      'LOCAL_INFILE_DISABLED',
      'Loading local data is disabled; this must be enabled on both the client and server sides',
    );
  }
  const { channel } = context;
  channel.write(new PayloadWriter(64).uint8(0xfb).text(request.fileName).finish());
  await channel.flush();
  let finished = false;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    while (!finished) {
      const packet = await channel.read();
      if (packet === undefined) {
        finished = true;
        throw sqlError('NET_READ_ERROR', 'Got an error reading communication packets');
      }
      if (packet.payload.length === 0) {
        finished = true;
        return;
      }
      yield packet.payload;
    }
  }
  try {
    return await request.receive(chunks());
  } finally {
    // Whatever the backend did, the client's content must be read to its end before the
    // answer, or the next command would be taken from the middle of the file.
    while (!finished) {
      const packet = await channel.read();
      if (packet === undefined || packet.payload.length === 0) finished = true;
    }
  }
}
