/* dataset-json.h: stands for the codec's header. */
int model_json_answer(void);
