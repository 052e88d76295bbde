import Foundation

/// A lock with a condition, as `NSCondition`, whose lock spins briefly before it sleeps
/// (glibc's adaptive mutex). The shared listings of a walk are locked for a few hundred
/// nanoseconds at a time by the walks and the listers, thousands of times a second: with
/// `NSCondition`'s plain mutex nearly every collision put a thread to sleep in the kernel
/// and woke it again, a system call pair each time.
final class SpinningCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// glibc's `PTHREAD_MUTEX_ADAPTIVE_NP`, which Swift's Glibc module does not export.
    private static let adaptiveMutex: Int32 = 3

    init() {
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, SpinningCondition.adaptiveMutex)
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits, unlocked, until `broadcast()`; call locked.
    func wait() { pthread_cond_wait(condition, mutex) }
    func broadcast() { pthread_cond_broadcast(condition) }
}
