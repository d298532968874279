/*
 * The samba-parity question asked of Samba's C se_access_check, timed the
 * way benches/secctx/harness.rs times secctx: a batch calibrated to at
 * least 1 ms, three warm-up batches, 31 samples, the median ns/op.
 *
 * sddl_decode and se_access_check have no packaged header, so they are
 * declared here, with the struct layouts of Samba 4.x's
 * librpc/idl/security.idl (gen_ndr/security.h in samba-dev).
 * Build and run: benches/compare-samba.sh.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <talloc.h>

struct dom_sid {
	uint8_t sid_rev_num;
	int8_t num_auths;
	uint8_t id_auth[6];
	uint32_t sub_auths[15];
};

struct security_token {
	uint32_t num_sids;
	struct dom_sid *sids;
	uint64_t privilege_mask;
	uint32_t rights_mask;
	/* Samba 4.20 appended claim counts and pointers; zeros mean "none",
	 * so a zeroed tail keeps this layout valid for those versions too. */
	uint8_t later_fields[256];
};

struct security_descriptor; /* opaque here */

/* NTSTATUS is a 32-bit value (or a struct wrapping one, returned the same
 * way on x86-64). */
typedef uint32_t NTSTATUS;

struct security_descriptor *sddl_decode(TALLOC_CTX *mem_ctx, const char *sddl,
					const struct dom_sid *domain_sid);
NTSTATUS se_access_check(const struct security_descriptor *sd,
			 const struct security_token *token,
			 uint32_t access_desired, uint32_t *access_granted);
bool dom_sid_parse(const char *sidstr, struct dom_sid *ret);

static const char *SD =
	"O:BAG:SYD:(D;;0x1f01ff;;;S-1-5-21-1-2-3-1001)(A;;0x1200a9;;;BU)"
	"(A;;0x1f01ff;;;BA)(A;;0x120089;;;AU)(A;;0x1f01ff;;;SY)";
static const char *SIDS[] = {
	"S-1-5-21-1-2-3-1000", "S-1-5-21-1-2-3-513", "S-1-1-0",
	"S-1-5-32-545", "S-1-5-11", "S-1-5-4",
};

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static volatile uint32_t sink;

static double measure(const struct security_descriptor *sd,
		      const struct security_token *tok, uint32_t desired)
{
	uint64_t batch = 1;
	uint32_t granted;
	for (;;) {
		double t = now_ns();
		for (uint64_t i = 0; i < batch; i++) {
			sink = se_access_check(sd, tok, desired, &granted);
			sink = granted;
		}
		double e = now_ns() - t;
		if (e >= 1e6)
			break;
		batch = e <= 0 ? batch * 10 : (uint64_t)(batch * 1.2e6 / e) + 1;
	}
	for (int w = 0; w < 3; w++)
		for (uint64_t i = 0; i < batch; i++)
			sink = se_access_check(sd, tok, desired, &granted);
	double samples[31];
	for (int s = 0; s < 31; s++) {
		double t = now_ns();
		for (uint64_t i = 0; i < batch; i++) {
			sink = se_access_check(sd, tok, desired, &granted);
			sink = granted;
		}
		samples[s] = (now_ns() - t) / (double)batch;
	}
	qsort(samples, 31, sizeof samples[0], cmp);
	return samples[15];
}

int main(void)
{
	TALLOC_CTX *mem = talloc_new(NULL);
	struct dom_sid domain;
	if (!dom_sid_parse("S-1-5-21-1-2-3", &domain)) {
		fprintf(stderr, "dom_sid_parse failed\n");
		return 1;
	}
	struct security_descriptor *sd = sddl_decode(mem, SD, &domain);
	if (sd == NULL) {
		fprintf(stderr, "sddl_decode failed\n");
		return 1;
	}
	struct dom_sid sids[6];
	for (int i = 0; i < 6; i++) {
		if (!dom_sid_parse(SIDS[i], &sids[i])) {
			fprintf(stderr, "bad sid %s\n", SIDS[i]);
			return 1;
		}
	}
	struct security_token tok;
	memset(&tok, 0, sizeof tok);
	tok.num_sids = 6;
	tok.sids = sids;

	static const struct {
		const char *mode;
		uint32_t desired, status, granted;
	} modes[] = {
		{"granted", 0x00120089, 0x00000000, 0x00120089},
		{"denied", 0x001f01ff, 0xC0000022, 0},
		{"maximum-allowed", 0x02000000, 0x00000000, 0x001200a9},
	};
	for (int m = 0; m < 3; m++) {
		uint32_t granted = 0;
		NTSTATUS st = se_access_check(sd, &tok, modes[m].desired, &granted);
		if (st != modes[m].status ||
		    (st == 0 && granted != modes[m].granted)) {
			fprintf(stderr,
				"samba answers %s with 0x%08x granted 0x%08x\n",
				modes[m].mode, st, granted);
			return 1;
		}
		printf("%s %.2f\n", modes[m].mode,
		       measure(sd, &tok, modes[m].desired));
	}
	talloc_free(mem);
	return 0;
}
