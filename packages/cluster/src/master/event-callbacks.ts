import type { Logger } from '@exosphere/common';
import type { MarathonEvent } from './events.js';
import type { MasterContext } from './context.js';
import { keys } from './model.js';

/** Events waiting per callback URL; past this the oldest are dropped (a slow or dead receiver). */
const queueMax = 1000;
const requestTimeoutMs = 10_000;

/**
 * Marathon's HTTP callback subscriptions (/v2/eventSubscriptions): every event of the bus is
 * POSTed as JSON to each registered URL, in order, one request at a time per URL. A receiver
 * that fails or is slow costs a bounded queue: the oldest events are dropped, as Marathon
 * drops events for receivers it cannot reach. Only a change between delivering and failing is
 * logged, so a dead receiver does not flood the log. The URLs are kept in the store.
 */
export class EventCallbacks {
  private readonly receivers = new Map<string, Receiver>();
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly context: Pick<MasterContext, 'events' | 'logger' | 'persist'>,
    urls: readonly string[],
  ) {
    for (const url of urls) this.receivers.set(url, new Receiver(url, context.logger));
    this.unsubscribe = context.events.subscribe((event) => {
      for (const receiver of this.receivers.values()) receiver.push(event);
    });
  }

  static async load(
    context: Pick<MasterContext, 'events' | 'logger' | 'persist' | 'store'>,
  ): Promise<EventCallbacks> {
    const stored = (await context.store.get(keys.eventSubscriptions)) as string[] | undefined;
    return new EventCallbacks(context, stored ?? []);
  }

  get urls(): string[] {
    return [...this.receivers.keys()];
  }

  /** Registers `url` (again is fine) and announces it with a subscribe_event, which it answers. */
  async add(url: string, clientIp: string): Promise<MarathonEvent> {
    if (!this.receivers.has(url)) {
      await this.save([...this.receivers.keys(), url]);
      this.receivers.set(url, new Receiver(url, this.context.logger));
    }
    return this.announce('subscribe_event', url, clientIp);
  }

  /** Forgets `url` (unknown is fine) and announces it with an unsubscribe_event. */
  async remove(url: string, clientIp: string): Promise<MarathonEvent> {
    if (this.receivers.has(url)) {
      await this.save([...this.receivers.keys()].filter((u) => u !== url));
      this.receivers.get(url)!.stop();
      this.receivers.delete(url);
    }
    return this.announce('unsubscribe_event', url, clientIp);
  }

  close(): void {
    this.unsubscribe();
    for (const receiver of this.receivers.values()) receiver.stop();
  }

  private async save(urls: string[]): Promise<void> {
    await this.context.persist([{ type: 'put', key: keys.eventSubscriptions, value: urls }]);
  }

  private announce(
    eventType: 'subscribe_event' | 'unsubscribe_event',
    callbackUrl: string,
    clientIp: string,
  ): MarathonEvent {
    return this.context.events.publish(eventType, { clientIp, callbackUrl });
  }
}

/** One callback URL: its queue and the single request in flight. */
class Receiver {
  private readonly queue: MarathonEvent[] = [];
  private sending = false;
  private failing = false;
  private dropped = 0;
  private readonly abort = new AbortController();

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  push(event: MarathonEvent): void {
    if (this.abort.signal.aborted) return;
    this.queue.push(event);
    if (this.queue.length > queueMax) {
      this.queue.shift();
      this.dropped++;
    }
    if (!this.sending) void this.drain();
  }

  stop(): void {
    this.abort.abort();
    this.queue.length = 0;
  }

  private async drain(): Promise<void> {
    this.sending = true;
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      const event = this.queue.shift()!;
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(requestTimeoutMs)]),
        });
        await response.body?.cancel();
        if (response.status >= 400) throw new Error(`HTTP ${response.status}`);
        if (this.failing) {
          this.logger.info('event callback delivers again', {
            callbackUrl: this.url,
            dropped: this.dropped,
          });
          this.failing = false;
          this.dropped = 0;
        }
      } catch (error) {
        if (this.abort.signal.aborted) break;
        if (!this.failing) {
          this.logger.warn('event callback failed; events it does not take are lost', {
            callbackUrl: this.url,
            eventType: event.eventType,
            error,
          });
          this.failing = true;
        }
      }
    }
    this.sending = false;
  }
}
