// An SQS queue in process, with the semantics the deliverer relies on: a received message is hidden for the
// visibility timeout, ChangeMessageVisibility moves that, a message received too often goes to the dead-letter list,
// and (with a data folder) the queue is written to disk on every change so a killed process loses nothing.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface QueuedMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  sentAtMs: number;
  visibleAtMs: number;
  receiveCount: number;
  /** The handle of the latest receive; older handles no longer change anything. */
  receiptHandle?: string;
}

export interface LocalQueueOptions {
  /** As on the CDK queue: how long a received message stays hidden if nobody says otherwise. */
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  /** JSON file the queue survives restarts in; in memory when absent. */
  file?: string;
  onDeadLetter?(message: QueuedMessage): void;
}

export const md5Hex = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export class LocalQueue {
  private messages: QueuedMessage[] = [];
  private readonly deadLetters: QueuedMessage[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: LocalQueueOptions) {
    if (options.file && existsSync(options.file)) {
      const saved = JSON.parse(readFileSync(options.file, 'utf8')) as { messages: QueuedMessage[] };
      // In flight when the process died: visible again at once (its consumer is gone).
      this.messages = saved.messages.map(({ receiptHandle: _handle, ...message }) => ({
        ...message,
        visibleAtMs: Math.min(message.visibleAtMs, Date.now()),
      }));
    }
  }

  send(body: string, delaySeconds = 0): QueuedMessage {
    const now = Date.now();
    const message: QueuedMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5Hex(body),
      sentAtMs: now,
      visibleAtMs: now + delaySeconds * 1000,
      receiveCount: 0,
    };
    this.messages.push(message);
    this.changed();
    return message;
  }

  /** Up to `max` visible messages, now hidden for the visibility timeout. */
  receive(max: number): QueuedMessage[] {
    const now = Date.now();
    const received: QueuedMessage[] = [];
    for (const message of this.messages) {
      if (received.length >= max) break;
      if (message.visibleAtMs > now) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.moveToDeadLetters(message);
        continue;
      }
      message.receiveCount++;
      message.receiptHandle = randomUUID();
      message.visibleAtMs = now + this.options.visibilityTimeoutSeconds * 1000;
      received.push({ ...message });
    }
    if (received.length > 0) this.changed(false);
    return received;
  }

  delete(receiptHandle: string): boolean {
    const before = this.messages.length;
    this.messages = this.messages.filter((message) => message.receiptHandle !== receiptHandle);
    if (this.messages.length !== before) this.changed(false);
    return this.messages.length !== before;
  }

  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const message = this.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (!message) return false;
    message.visibleAtMs = Date.now() + seconds * 1000;
    this.changed();
    return true;
  }

  /** Milliseconds until the next hidden message shows again; undefined when the queue is empty. */
  nextVisibleInMs(): number | undefined {
    if (this.messages.length === 0) return undefined;
    return Math.max(0, Math.min(...this.messages.map((message) => message.visibleAtMs)) - Date.now());
  }

  get size(): number {
    return this.messages.length;
  }

  get deadLettered(): readonly QueuedMessage[] {
    return this.deadLetters;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private moveToDeadLetters(message: QueuedMessage) {
    this.messages = this.messages.filter((candidate) => candidate !== message);
    this.deadLetters.push(message);
    this.options.onDeadLetter?.(message);
    this.changed(false);
  }

  private changed(notify = true) {
    if (this.options.file) {
      const temporary = `${this.options.file}.tmp`;
      writeFileSync(temporary, JSON.stringify({ messages: this.messages }));
      renameSync(temporary, this.options.file);
    }
    if (notify) for (const listener of this.listeners) listener();
  }
}
