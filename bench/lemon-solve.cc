// lemon-solve.cc: the reference solver for the benchmark: reads a DIMACS min-cost-flow
// file, solves it with LEMON's NetworkSimplex and prints "COST SECONDS" (the time of
// run() alone, as bench-engine times our solver).  Exit 3 when not optimal.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: lemon-solve FILE.min\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "lemon-solve: cannot open %s\n", argv[1]);
    return 1;
  }
  lemon::SmartDigraph g;
  lemon::SmartDigraph::ArcMap<long long> lower(g), capacity(g), cost(g);
  lemon::SmartDigraph::NodeMap<long long> supply(g);
  lemon::readDimacsMin(in, g, lower, capacity, cost, supply);
  lemon::NetworkSimplex<lemon::SmartDigraph, long long, long long> ns(g);
  ns.lowerMap(lower).upperMap(capacity).costMap(cost).supplyMap(supply);
  auto start = std::chrono::steady_clock::now();
  auto status = ns.run();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (status != lemon::NetworkSimplex<lemon::SmartDigraph, long long, long long>::OPTIMAL) {
    std::printf("not-optimal %.6f\n", seconds);
    return 3;
  }
  std::printf("%lld %.6f\n", ns.totalCost<long long>(), seconds);
  return 0;
}
