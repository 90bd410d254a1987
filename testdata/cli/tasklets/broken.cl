__kernel void grafos_worker(GRAFOS_PARAMS) { this does not compile }
