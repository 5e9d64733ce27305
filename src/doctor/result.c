/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * result.c - filling and naming a check's result: the one thing every
 * doctor check file uses, so it sits below them all.
 */
#include "doctor.h"

#include <stdarg.h>
#include <stdio.h>

void
doctor_set(struct doctor_result *r, enum doctor_status status,
	   const char *fix, const char *fmt, ...)
{
	va_list ap;

	r->status = status;
	snprintf(r->fix, sizeof(r->fix), "%s", fix ? fix : "");
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

const char *
doctor_status_name(enum doctor_status s)
{
	switch (s) {
	case DOCTOR_PASS: return "pass";
	case DOCTOR_WARN: return "warn";
	case DOCTOR_FAIL: return "fail";
	case DOCTOR_SKIP: return "skip";
	}
	return "unknown";
}
