// An atomic histogram into the observables: arg0 = the number of bins (the
// observables 0..bins-1), arg1 = how many values follow (up to 10), arg2..
// = the values. Every slot adds its values; lanes meet only in atomics, so
// the counts do not depend on the order the lanes run in.
//   vyre dispatch --ring-spec examples/opcodes/histogram.json --opcodes examples/opcodes/histogram.cl \
//     --out-dir out -o /dev/null; vyre inspect out/control.bin
VYRE_OPCODE(0x101) {
  const uint bins = vyre_arg(0);
  const uint n = vyre_arg(1);
  if (bins == 0 || n > 10) vyre_fault();  // nothing to count into, or more values than a slot holds
  for (uint i = 0; i < n; ++i) vyre_atomic_add(160 + vyre_arg(2 + i) % bins, 1);
}
