//! The runtime a bare-metal (`target_os = "none"`) build needs, and nothing more: a panic
//! handler, and a global allocator that never gives memory.
//!
//! The library is panic-free by construction, so the handler exists only to satisfy the
//! linker; should a panic ever happen it executes `udf`, a fault the firmware's HardFault
//! handler sees, rather than spinning silently. The codec crates link `alloc` even though
//! nothing in the pure surface allocates; the allocator that always fails makes that claim
//! checkable: any allocation would abort (and fault) instead of using memory.

#[cfg(feature = "alloc")]
compile_error!(
    "the `alloc` feature (ledger handle) needs a heap; bare-metal builds provide the pure surface only"
);

use core::alloc::{GlobalAlloc, Layout};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // SAFETY: `udf` raises an undefined-instruction exception and never returns; it touches no
    // memory or register Rust relies on.
    unsafe { core::arch::asm!("udf #0", options(noreturn, nomem, nostack)) }
}

/// A global allocator with no memory.
struct NoHeap;

// SAFETY: `alloc` always reports failure with a null pointer, which the `GlobalAlloc` contract
// allows; `dealloc` can only be called with memory this allocator returned, of which there is
// none, so it has nothing to do.
unsafe impl GlobalAlloc for NoHeap {
    unsafe fn alloc(&self, _: Layout) -> *mut u8 {
        core::ptr::null_mut()
    }

    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
}

#[global_allocator]
static NO_HEAP: NoHeap = NoHeap;
