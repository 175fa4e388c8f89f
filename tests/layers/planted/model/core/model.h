/* model.h: stands for the model core's header. */
int model_answer(void);
