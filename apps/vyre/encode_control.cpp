#include "subcommands.h"
#include "vyre/control.h"
#include "vyre/file_io.h"

namespace vyre::cli {

Runner setup_encode_control(CLI::App& cmd) {
  struct Options {
    uint32_t tenants = 1, observable = 16, priority_slots = 0;
    bool shutdown = false;
    std::string output = "-";
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("--tenants", o->tenants, "Tenants to authorize (masks for the first 29, quotas for the first 32)")
      ->check(whole_number(0, UINT32_MAX))
      ->capture_default_str();
  auto* observables = cmd.add_option("--observables", o->observable, "Observable result words after word 160")
                          ->check(whole_number(0, protocol::MAX_ENCODED_OBSERVABLE_SLOTS))
                          ->capture_default_str();
  add_hidden_alias(cmd, "--observable", o->observable, observables, whole_number(0, protocol::MAX_ENCODED_OBSERVABLE_SLOTS));
  cmd.add_flag("--shutdown", o->shutdown, "Set the SHUTDOWN word so every lane returns at once");
  auto* prio = cmd.add_option("--priority-slots", o->priority_slots,
                              "Also write the default priority partition offsets for a ring of S slots")
                   ->check(whole_number(0, UINT32_MAX));
  add_output_option(cmd, o->output, "Output file (never a terminal)");
  return [o, prio](std::stop_token stop) {
    write_binary_output(o->output, [&] {
      Bytes control = encode_control(o->shutdown, o->tenants, o->observable);
      if (prio->count() > 0) write_default_priority_offsets(control, o->priority_slots);
      return control;
    }, stop);
    return kExitOk;
  };
}

}  // namespace vyre::cli
