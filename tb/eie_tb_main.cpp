// main() for the standalone testbench (eie_tb_readmemh.sv) under Verilator: runs it to $finish
// and returns 0, or 1 when it ended with $fatal / $error (Verilator's own --main aborts there,
// exit status 134). Build: verilator --cc --exe --build --timing ... tb/eie_tb_main.cpp
// (scripts/tb.sh, README). With --trace-fst, +fst=FILE dumps waveforms.
#include <cstdio>
#include <memory>

#include "Veie_tb_readmemh.h"
#include "verilated.h"

int main(int argc, char **argv) {
  const std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
  ctx->commandArgs(argc, argv);
  ctx->fatalOnError(false);  // $fatal ends the run (gotFinish) and sets gotError instead of abort()
#if VM_TRACE
  ctx->traceEverOn(true);
#endif
  const std::unique_ptr<Veie_tb_readmemh> top{new Veie_tb_readmemh{ctx.get()}};
  while (!ctx->gotFinish()) {
    top->eval();
    if (ctx->gotFinish() || !top->eventsPending()) break;
    ctx->time(top->nextTimeSlot());
  }
  top->final();
  if (!ctx->gotFinish()) {
    std::fprintf(stderr, "EIE-TB FAIL: the simulation stopped without $finish (no events left)\n");
    return 1;
  }
  return ctx->gotError() ? 1 : 0;
}
