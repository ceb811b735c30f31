// struct sk_buff_head: a FIFO that the socket's receive path appends to and the reader takes from
// the front of. Array.prototype.shift moves the rest of the array (or re-trims it) on every call;
// this keeps the array and a read index, and gives back the room the reader passed once it is half
// the array.

export class SkbQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  /** skb_queue_len */
  get length(): number {
    return this.items.length - this.head;
  }

  /** __skb_queue_tail */
  push(item: T): void {
    this.items.push(item);
  }

  /** __skb_dequeue: the oldest entry, or undefined when the queue is empty. */
  shift(): T | undefined {
    const items = this.items;
    if (this.head >= items.length) return undefined;
    const item = items[this.head];
    items[this.head++] = undefined;
    if (this.head === items.length) {
      items.length = 0;
      this.head = 0;
    } else if (this.head >= 64 && this.head * 2 >= items.length) {
      items.copyWithin(0, this.head);
      items.length -= this.head;
      this.head = 0;
    }
    return item;
  }

  /** skb_peek */
  peek(): T | undefined {
    return this.items[this.head];
  }

  /** __skb_queue_purge */
  clear(): void {
    this.items.length = 0;
    this.head = 0;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }
}
