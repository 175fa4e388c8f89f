/* mcf-private.h: what the engine's own files may ask of an EngineMcf beyond mcf.h.
 *
 * Only for files inside engine/ (the DIMACS writer checks that results exist before
 * it prints them); nothing here is part of the public contract.
 */
#pragma once

#include "mcf.h"

G_BEGIN_DECLS

/* TRUE when the last engine_mcf_solve() returned ENGINE_MCF_OPTIMAL and nothing was
 * changed since, i.e. when engine_mcf_flow() and friends may be called. */
gboolean engine_mcf_has_solution(const EngineMcf *mcf);

G_END_DECLS
