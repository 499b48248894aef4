import { HANDLED, type Router } from '@exosphere/common';
import type { MarathonEvent } from '../events.js';
import type { Master } from '../master.js';

const keepAliveMs = 15_000;
const backlogBytesMax = 8 * 1024 * 1024;

/**
 * GET /v2/events: server-sent events (`event: <type>` + `data: <json>`), filtered by
 * repeated `event_type` parameters. A client that stops reading is dropped once its
 * unsent backlog exceeds backlogBytesMax, so a slow consumer cannot grow the master's memory.
 */
export function addEventRoutes(router: Router, master: Master): void {
  router.get('/v2/events', ({ query, response, request }) => {
    const types = new Set(query.getAll('event_type'));
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    const send = (event: MarathonEvent): void => {
      if (types.size > 0 && !types.has(event.eventType)) return;
      if (response.writableLength > backlogBytesMax) {
        response.destroy();
        return;
      }
      response.write(`event: ${event.eventType}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    // Marathon greets each subscriber with event_stream_attached (its own stream only).
    send({
      eventType: 'event_stream_attached',
      timestamp: new Date(master.context.clock.now()).toISOString(),
      remoteAddress: request.socket.remoteAddress ?? '',
    });
    const unsubscribe = master.context.events.subscribe(send);
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
    const close = (): void => {
      unsubscribe();
      clearInterval(keepAlive);
    };
    request.on('close', close);
    response.on('close', close);
    return HANDLED;
  });
}
