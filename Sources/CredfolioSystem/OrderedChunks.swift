import Glibc

/// Credfolio's one way to work in parallel: chunks of input are produced in
/// order on the calling thread (by one SQL reader), turned into output by
/// worker threads, and handed back to the calling thread in the order they
/// were produced (to be written). While it waits for room or for the next
/// output, the calling thread renders a chunk no worker has taken yet.
///
/// - Memory is bounded: at most `window` chunks are produced and not yet
///   consumed; the producer waits for room, consuming meanwhile.
/// - Only `Sendable` values cross threads: the inputs, the outputs, and the
///   closure that makes each worker's own state.
/// - Each input is released on the calling thread, which made it, with its
///   output: glibc's `malloc` frees memory into the arena of the thread
///   that allocated it, so a worker freeing the producer's chunks would
///   contend for that arena's lock at every free (measured: 2,000 context
///   switches a site of 20,000 learners, against 160).
/// - The first error, from a worker, the producer or the consumer, stops
///   the work and is rethrown as it was thrown.
/// - With no threads, the same closures run on the calling thread alone,
///   so both paths give the same output.
public enum OrderedChunks {
    /// How many worker threads a parallel command starts: one per processor
    /// the process may run on, but for the calling thread's, which renders too.
    public static var workers: Int {
        max(0, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) - 1)
    }

    /// Runs the work.
    /// - Parameters:
    ///   - threads: worker threads; 0 renders on the calling thread.
    ///   - window: chunks produced and not yet consumed, at most (at least 1).
    ///   - worker: called once on each worker thread; returns that thread's
    ///     renderer, which keeps its own state (memos, buffers) between chunks.
    ///   - produce: called once, on this thread; it hands each chunk, in
    ///     order, to the function it is given.
    ///   - consume: called on this thread with each chunk's output, in order;
    ///     it is handed the output to keep (so it may reuse the output's
    ///     storage: no other reference to it remains).
    public static func run<Input: Sendable, Output: Sendable>(
        threads: Int, window: Int,
        worker: @escaping @Sendable () throws -> (Input) throws -> Output,
        produce: ((Input) throws -> Void) throws -> Void,
        consume: (consuming Output) throws -> Void
    ) throws {
        // The submitting closure calls `consume`; both are the caller's and never outlive this call.
        try withoutActuallyEscaping(consume) { consume in
            try run(threads: threads, window: window, worker: worker, produce: produce, consuming: consume)
        }
    }

    private static func run<Input: Sendable, Output: Sendable>(
        threads: Int, window: Int,
        worker: @escaping @Sendable () throws -> (Input) throws -> Output,
        produce: ((Input) throws -> Void) throws -> Void,
        consuming consume: @escaping (consuming Output) throws -> Void
    ) throws {
        guard threads > 0 else {
            let render = try worker()
            try produce { try consume(try render($0)) }
            return
        }
        let shared = Monitor(Exchange<Input, Output>())
        let window = max(1, window)
        var workers: [Worker<Void>] = []
        // This thread's own renderer, made when it first helps.
        var own: ((Input) throws -> Output)?
        /// Hands back what is ready, in order, until `enough` holds; while
        /// nothing is ready, this thread renders a chunk no worker has taken.
        func deliver(until enough: @escaping (Exchange<Input, Output>) -> Bool) throws {
            while true {
                let step = try shared.wait(until: { $0.failure != nil || $0.isReady || enough($0) || !$0.pending.isEmpty }) {
                    state -> Step<Input, Output> in
                    if let ready = try state.takeReady() { return .output(ready.output, ready.input) }
                    if enough(state) { return .done }
                    return state.takePending().map { .job($0.index, $0.input) } ?? .done
                }
                switch consume step {
                case .output(let output, _):
                    // The input goes with `step`, on this thread: see the type's notes.
                    try consume(consume output)
                case .job(let index, let input):
                    if own == nil { own = try worker() }
                    let output = try own!(input)
                    shared.withLock { $0.done[index] = (output, input) }
                case .done:
                    return
                }
            }
        }
        let outcome = Result {
            for _ in 0..<threads {
                workers.append(try Worker.start { Self.work(shared, worker) })
            }
            try produce { input in
                try deliver(until: { $0.inFlight < window })
                shared.withLock { $0.submit(input) }
            }
            shared.withLock { $0.finished = true }
            try deliver(until: { $0.inFlight == 0 })
        }
        if case .failure(let error) = outcome {
            // Stop the workers: they see the failure when they next look.
            shared.withLock { if $0.failure == nil { $0.failure = error } }
        }
        for worker in workers { try? worker.join() }
        try outcome.get()
    }

    /// What the calling thread does next.
    private enum Step<Input, Output> {
        case output(Output, Input)
        case job(Int, Input)
        case done
    }

    /// A worker thread's loop: take the next chunk, render it, leave the
    /// output, until the input ends or something failed.
    private static func work<Input: Sendable, Output: Sendable>(
        _ shared: Monitor<Exchange<Input, Output>>, _ worker: @Sendable () throws -> (Input) throws -> Output
    ) {
        do {
            let render = try worker()
            while let job = shared.wait(until: { $0.failure != nil || !$0.pending.isEmpty || $0.finished },
                                        then: { $0.failure == nil ? $0.takePending() : nil }) {
                let output = try render(job.input)
                shared.withLock { $0.done[job.index] = (output, job.input) }
            }
        } catch {
            shared.withLock { if $0.failure == nil { $0.failure = error } }
        }
    }
}

/// What the threads of one ``OrderedChunks/run(threads:window:worker:produce:consume:)``
/// share, under its monitor.
struct Exchange<Input: Sendable, Output: Sendable>: Sendable {
    /// Chunks produced and not yet taken by a worker, oldest first, with their numbers: at most a window's.
    var pending: [(index: Int, input: Input)] = []
    /// Outputs not yet consumed, by chunk number, with their inputs (to be released by the consumer).
    var done: [Int: (output: Output, input: Input)] = [:]
    /// Chunks produced so far, and consumed so far (the next one to consume).
    private var submitted = 0, consumed = 0
    /// The producer has no more chunks.
    var finished = false
    /// The first error: every thread stops when it sees one.
    var failure: (any Error)?

    var inFlight: Int { submitted - consumed }
    var isReady: Bool { done[consumed] != nil }

    mutating func submit(_ input: Input) {
        pending.append((submitted, input))
        submitted += 1
    }

    mutating func takePending() -> (index: Int, input: Input)? {
        pending.isEmpty ? nil : pending.removeFirst()
    }

    /// The next output in order, when it is ready, with its input; throws the failure.
    mutating func takeReady() throws -> (output: Output, input: Input)? {
        if let failure { throw failure }
        guard let ready = done.removeValue(forKey: consumed) else { return nil }
        consumed += 1
        return ready
    }
}
