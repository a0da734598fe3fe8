/*
 * pipe.h - a bigger kernel buffer for the pipes between a pipeline's stages (pipe.c).
 */
#ifndef LS_PIPE_H
#define LS_PIPE_H

/*
 * When fd is a pipe, ask the kernel for a 1 MB buffer (Linux; elsewhere,
 * and when refused, nothing changes): the stages of a pipeline then run
 * side by side instead of by turns.  Never fails.
 */
void ls_pipe_grow(int fd);

#endif
