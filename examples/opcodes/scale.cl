// A scalar user opcode: C[arg1] = arg0 * arg2 + the slot's tenant.
//   vyre dispatch --ring-spec examples/opcodes/scale.json --opcodes examples/opcodes/scale.cl -o -
VYRE_OPCODE(0x100) {
  vyre_store(vyre_arg(1), vyre_arg(0) * vyre_arg(2) + vyre_tenant());
}
