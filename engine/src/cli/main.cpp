#include <iostream>
#include "tandem/version.hpp"
int main() { std::cout << "tandem " << tandem::version() << "\n"; return 0; }
