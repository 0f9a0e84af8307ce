// An ordinary shared library with one exported function and no tandem_plugin descriptor.
extern "C" __attribute__((visibility("default"))) int tandem_test_not_a_plugin_answer() { return 42; }
