/*
 * Start-up for the Cortex-M4F of qemu's mps2-an386: the vector table, a reset handler that
 * enables the FPU, initialises .data and .bss and runs main(), and semihosting output and exit
 * (qemu -semihosting-config enable=on,target=native).
 */
#include <stdint.h>

#include "semihosting.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, __stack_top;
int main(void);
void Reset_Handler(void);
void Fault_Handler(void);

/* Semihosting operations (ARM's "Semihosting for AArch32 and AArch64"). */
#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define ADP_STOPPED_RUN_TIME_ERROR 0x20023

static uintptr_t semihost(uintptr_t op, uintptr_t arg) {
  register uintptr_t r0 __asm__("r0") = op;
  register uintptr_t r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void semihost_write0(const char *text) { semihost(SYS_WRITE0, (uintptr_t)text); }

void semihost_exit(int success) {
  semihost(SYS_EXIT, success ? ADP_STOPPED_APPLICATION_EXIT : ADP_STOPPED_RUN_TIME_ERROR);
  for (;;) {
  }
}

__attribute__((section(".isr_vector"), used)) const uintptr_t vectors[16] = {
    (uintptr_t)&__stack_top,    /* initial stack pointer */
    (uintptr_t)Reset_Handler,   /* reset */
    (uintptr_t)Fault_Handler,   /* NMI */
    (uintptr_t)Fault_Handler,   /* HardFault (a Rust panic executes udf and lands here) */
    (uintptr_t)Fault_Handler,   /* MemManage */
    (uintptr_t)Fault_Handler,   /* BusFault */
    (uintptr_t)Fault_Handler,   /* UsageFault */
    0, 0, 0, 0,                 /* reserved */
    (uintptr_t)Fault_Handler,   /* SVCall */
    (uintptr_t)Fault_Handler,   /* DebugMonitor */
    0,                          /* reserved */
    (uintptr_t)Fault_Handler,   /* PendSV */
    (uintptr_t)Fault_Handler,   /* SysTick */
};

void Fault_Handler(void) {
  semihost_write0("% fault: the program crashed\n");
  semihost_exit(0);
}

void Reset_Handler(void) {
  /* Full access to coprocessors 10 and 11 (the FPU): CPACR bits 20-23, before any FP code. */
  volatile uint32_t *const cpacr = (volatile uint32_t *)0xE000ED88u;
  *cpacr |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  for (uint32_t *src = &_sidata, *dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  for (uint32_t *dst = &_sbss; dst < &_ebss;) *dst++ = 0;
  semihost_exit(main() == 0);
}
