/* store.h: stands for the store's header. */
int model_store_answer(void);
