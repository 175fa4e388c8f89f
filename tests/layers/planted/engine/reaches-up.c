/* reaches-up.c: an engine file that includes the store's library and the codec. */
#include <sqlite3.h>
#include "model.h"
#include "dataset-json.h"
#include "../model/store/store.h"
int engine_answer(void) {
  return model_answer();
}
