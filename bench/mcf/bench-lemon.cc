// bench-lemon.cc: times LEMON's NetworkSimplex on DIMACS min-cost-flow files, as a
// yardstick for bench-mcf.c (same files, same timing: parse untimed, best and median
// of REPEATS solves).  Usage: bench-lemon [-r REPEATS] FILE.min...
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

using Graph = lemon::SmartDigraph;
using Value = long long;

static bool bench_file(const char *path, int repeats) {
  std::vector<double> times;
  Value cost = 0;
  int status = -1, n = 0, m = 0;
  for (int r = 0; r < repeats; r++) {
    std::ifstream in(path);
    if (!in) {
      std::fprintf(stderr, "cannot open %s\n", path);
      return false;
    }
    Graph g;
    Graph::ArcMap<Value> lower(g), cap(g), arc_cost(g);
    Graph::NodeMap<Value> supply(g);
    lemon::readDimacsMin(in, g, lower, cap, arc_cost, supply);
    n = lemon::countNodes(g);
    m = lemon::countArcs(g);
    auto start = std::chrono::steady_clock::now();
    lemon::NetworkSimplex<Graph, Value, Value> ns(g);
    ns.lowerMap(lower).upperMap(cap).costMap(arc_cost).supplyMap(supply);
    status = ns.run();
    auto stop = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    cost = status == lemon::NetworkSimplex<Graph, Value, Value>::OPTIMAL ? ns.totalCost() : 0;
  }
  std::sort(times.begin(), times.end());
  const char *base = std::strrchr(path, '/') ? std::strrchr(path, '/') + 1 : path;
  std::printf("%-24s n=%-7d m=%-8d status=%d cost=%-12lld best=%.2f ms median=%.2f ms\n", base,
              n, m, status, cost, times[0], times[times.size() / 2]);
  return true;
}

int main(int argc, char **argv) {
  int repeats = 5, first = 1;
  if (argc > 2 && std::strcmp(argv[1], "-r") == 0) {
    repeats = std::max(1, std::atoi(argv[2]));
    first = 3;
  }
  bool ok = true;
  for (int i = first; i < argc; i++)
    ok = bench_file(argv[i], repeats) && ok;
  return ok ? 0 : 1;
}
