/* Output and exit through the debugger (semihosting): see startup.c. */
#ifndef SEMIHOSTING_H
#define SEMIHOSTING_H

/* Prints a NUL-terminated string on the host's console. */
void semihost_write0(const char *text);
/* Ends the program; qemu exits with status 0 on success, 1 otherwise. */
void semihost_exit(int success) __attribute__((noreturn));

#endif
