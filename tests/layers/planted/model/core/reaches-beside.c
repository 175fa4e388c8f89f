/* reaches-beside.c: a model core file that includes json-c. */
#include <json-c/json.h>
#include "model.h"
int model_answer(void) { int x=1;
    return x; }
