/*
 * proc: what the test and benchmark programs share for running Chorus
 * as a person would: a free loopback port, waiting for a daemon to
 * listen, and starting commands with their output in a log file.
 * Header-only (static inline), so each program takes what it uses.
 */
#ifndef CHORUS_TEST_PROC_H
#define CHORUS_TEST_PROC_H

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* A TCP port on 127.0.0.1 nobody listens on now, or 0. */
static inline unsigned proc_free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	unsigned port = 0;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

/* Waits up to 10 s for something to listen on port; 0 or -1. */
static inline int proc_wait_port(unsigned port)
{
	struct sockaddr_in a;
	struct timespec ts = {0, 20 * 1000 * 1000};
	int i, s, ok;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 500; i++) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		ok = connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
		close(s);
		if (ok)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Starts argv with standard output and error appended to log; its pid
 * or -1. */
static inline pid_t proc_start(char *const argv[], const char *log)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log,
					 O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* Runs argv to the end with output into log; its exit status or -1. */
static inline int proc_run(char *const argv[], const char *log)
{
	pid_t pid = proc_start(argv, log);
	int st = -1;

	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#endif
