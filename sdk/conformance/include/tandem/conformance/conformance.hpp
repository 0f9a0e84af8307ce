#pragma once
namespace tandem::conformance { int main(int argc, char** argv); }
