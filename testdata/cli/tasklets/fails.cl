// Data lane 2 reports its own failure.
__kernel void grafos_worker(GRAFOS_PARAMS) {
  grafos_ctx c = GRAFOS_WORKER_CTX();
  if (grafos_worker_index(&c) == 2 && grafos_local_id() == 0) grafos_fail(&c, GRAFOS_ERROR_USER, 42);
}
__kernel void grafos_coordinator(GRAFOS_PARAMS) {
  grafos_ctx c = GRAFOS_COORDINATOR_CTX();
  if (grafos_local_id() != 0) return;
  if (c.step == 0) grafos_run_phase(&c, 0);
  else grafos_finish(&c);
}
