// Never finishes: the coordinator asks for phase after phase (for --timeout tests).
__kernel void grafos_worker(GRAFOS_PARAMS) {}
__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  grafos_ctx c = GRAFOS_COORDINATOR_CTX();
  if (grafos_local_id() == 0) grafos_run_phase(&c, 0);
}
