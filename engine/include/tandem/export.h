/* tandem — TANDEM_API marks every symbol the engine library exports; everything else is hidden. */
#ifndef TANDEM_EXPORT_H_
#define TANDEM_EXPORT_H_

#if defined(TANDEM_ENGINE_BUILD)
#define TANDEM_API __attribute__((visibility("default")))
#else
#define TANDEM_API
#endif

#endif /* TANDEM_EXPORT_H_ */
