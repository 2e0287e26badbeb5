/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fiber context switch for x86-64 System V.
 *
 * void sim_ctx_switch(void **save_sp, void *new_sp)
 *	Push the callee-saved registers on the current stack, store the stack
 *	pointer in *save_sp, load new_sp and pop the other context's registers.
 *	No syscall: the signal mask is not part of a fiber's state.
 *	MXCSR and the x87 control word are not switched: model code never
 *	changes them.
 *
 * sim_fiber_entry
 *	First "return address" of a fresh fiber: r12 holds the argument and
 *	r13 the C entry function, which never returns.
 */
	.text
	.globl	sim_ctx_switch
	.type	sim_ctx_switch, @function
sim_ctx_switch:
	.cfi_startproc
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.cfi_endproc
	.size	sim_ctx_switch, .-sim_ctx_switch

	.globl	sim_fiber_entry
	.type	sim_fiber_entry, @function
sim_fiber_entry:
	.cfi_startproc
	.cfi_undefined rip
	xorl	%ebp, %ebp
	movq	%r12, %rdi
	callq	*%r13
	ud2
	.cfi_endproc
	.size	sim_fiber_entry, .-sim_fiber_entry

	.section .note.GNU-stack,"",@progbits
