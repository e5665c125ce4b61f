/**
 * A lane: tasks run one at a time, in the order they were queued. DDL statements and the start of
 * every snapshot share one lane, so a snapshot never starts between a catalog event and its echo.
 */
export class Lane {
  #tail: Promise<unknown> = Promise.resolve()

  /** Runs `task` after every task queued before it; resolves or rejects with its result. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task)
    this.#tail = result.catch(() => undefined)
    return result
  }

  /** Resolves once every task queued so far has finished. */
  async idle(): Promise<void> {
    await this.#tail
  }
}
