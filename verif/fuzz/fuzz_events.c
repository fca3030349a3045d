/* libFuzzer harness: the event-file reader. The fuzz input is one PE's event
 * file of a one-PE pack (the broadcast file holds only its header): every line
 * must be refused or parsed into fields within their ranges, and the whole
 * file compared without crashing, hanging or reading out of bounds. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eie_pack.h"

static char dir[128];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!dir[0]) {
    snprintf(dir, sizeof dir, "/tmp/eie_fuzz_events_%d", (int)getpid());
    char cmd[256];
    snprintf(cmd, sizeof cmd, "mkdir -p %s && printf '// events\\n' > %s/bcast_events.txt", dir,
             dir);
    if (system(cmd)) abort();
  }
  /* Line by line: accepted lines have their fields in range. */
  for (size_t i = 0; i < size;) {
    const uint8_t *nl = memchr(data + i, '\n', size - i);
    const size_t len = nl ? (size_t)(nl - (data + i)) : size - i;
    eie_event_t e;
    const char *why;
    if (eie_pack_parse_event((const char *)data + i, len, &e, &why) == 0) {
      if (e.kind != EIE_EV_BCAST && e.kind != EIE_EV_ACC && e.kind != EIE_EV_WB) abort();
      if (e.layer >= EIE_MAX_LAYERS || e.pass > 65535 || e.index > 65535 || e.bypass > 1) abort();
      if (e.kind != EIE_EV_ACC && (e.value < INT16_MIN || e.value > INT16_MAX || e.bypass)) abort();
    }
    i += len + 1;
  }
  /* The whole file against a short run of two events. */
  char path[256];
  snprintf(path, sizeof path, "%s/pe0_events.txt", dir);
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  eie_event_t ev[2];
  memset(ev, 0, sizeof ev);
  ev[0].kind = EIE_EV_ACC;
  ev[0].cycle = 9;
  ev[0].index = 20;
  ev[0].value = 126633699;
  ev[1].kind = EIE_EV_WB;
  ev[1].cycle = 52;
  ev[1].index = 4;
  ev[1].value = 1155;
  eie_err_t err;
  (void)eie_pack_check_events(dir, 1, ev, 2, &err);
  return 0;
}
