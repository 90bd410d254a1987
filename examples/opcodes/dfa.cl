// A small DFA stepping over a transition table held in control words: the
// table at word T has S rows of A words, next = C[T + state * A + symbol].
// A slot runs one input: arg0 = T, arg1 = A, arg2 = the start state, arg3 =
// the input length n (up to 8), arg4.. = the symbols; it stores the final
// state in observable `vyre_slot()`. Every read of the table is checked: a
// table or state out of range faults the slot.
//
// The table is written by a first dispatch (STORE_U32 slots, dfa-table.json)
// and read by a second one that carries its control buffer (dfa.json); the
// control buffer needs room for words 200..205 (64 observables):
//   vyre encode-control --observables 64 -o c.bin
//   vyre dispatch --ring-spec examples/opcodes/dfa-table.json --control c.bin --out-dir t -o /dev/null
//   vyre dispatch --ring-spec examples/opcodes/dfa.json --control t/control.bin \
//     --opcodes examples/opcodes/dfa.cl --out-dir d -o /dev/null
VYRE_OPCODE(0x102) {
  const uint table = vyre_arg(0), symbols = vyre_arg(1), n = vyre_arg(3);
  if (n > 8) vyre_fault();
  uint state = vyre_arg(2);
  for (uint i = 0; i < n; ++i) {
    const uint symbol = vyre_arg(4 + i);
    if (symbol >= symbols) vyre_fault();
    state = vyre_load(table + state * symbols + symbol);
  }
  vyre_store(160 + vyre_slot(), state);
}
