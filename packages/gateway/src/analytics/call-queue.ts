import { emptySlot, type CallSlot } from './call-record.js';

/**
 * A bounded ring of reusable call slots between the proxy (producer) and the drain timer
 * (consumer), both on the event loop. `claim` is constant work and never waits: when the ring
 * is full it returns undefined and counts a drop. Slots are allocated on first use, so memory
 * follows the high-water mark rather than the capacity.
 */
export class CallQueue {
  private readonly slots: CallSlot[] = [];
  private head = 0;
  private size = 0;
  /** Calls refused because the ring was full, since the queue was made. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`invariant violated: queue capacity ${capacity}`);
  }

  get depth(): number {
    return this.size;
  }

  /**
   * The slot to fill for the next call, or undefined (counted) when the ring is full. The caller
   * fills it synchronously: the drain runs on the same event loop, never in between.
   */
  claim(): CallSlot | undefined {
    if (this.size === this.capacity) {
      this.dropped++;
      return undefined;
    }
    let index = this.head + this.size;
    if (index >= this.capacity) index -= this.capacity;
    this.size++;
    let slot = this.slots[index];
    if (slot === undefined) {
      slot = emptySlot();
      this.slots[index] = slot;
    }
    return slot;
  }

  /**
   * Hands up to `countMax` slots, oldest first, to `visit`, then frees them. A slot is valid
   * only during its visit (it is reused afterwards).
   */
  drain(visit: (slot: CallSlot) => void, countMax = this.size): number {
    const count = Math.min(countMax, this.size);
    for (let done = 0; done < count; done++) {
      const slot = this.slots[this.head]!;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.size--;
      visit(slot);
      // Drop references so a drained slot keeps no strings or routes alive.
      slot.route = undefined;
      slot.api = undefined;
      slot.application = undefined;
      slot.rejectionCode = undefined;
    }
    return count;
  }
}
