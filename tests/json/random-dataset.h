/* random-dataset.h: random valid datasets for the codec's round-trip tests. */
#pragma once

#include "model.h"

G_BEGIN_DECLS

/* A valid dataset drawn from `seed` (the same for the same seed); sometimes every array
 * is empty.  Transfer full. */
ModelDataset *json_test_random_dataset(guint32 seed);

G_END_DECLS
