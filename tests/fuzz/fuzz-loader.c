/* libFuzzer target for the project-file loaders: any bytes must load or be
 * refused with diagnostics, never crash or leak; and whatever loads must
 * save to canonical text that loads again to the same text. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "sluice-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_pipeline (GBytes *bytes)
{
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SluicePipeline) p = sluice_pipeline_load_from_bytes ("fuzz", "pipelines/fuzz.json", bytes,
                                                                 diagnostics, NULL);
  g_autoptr(GBytes) once = NULL;
  g_autoptr(GBytes) twice = NULL;
  g_autoptr(SluicePipeline) again = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  if (p == NULL)
    {
      if (diagnostics->len == 0)
        abort ();  /* a refusal must say why */
      return;
    }

  problems = sluice_pipeline_validate (p, NULL);
  once = sluice_pipeline_to_bytes (p);
  again = sluice_pipeline_load_from_bytes ("fuzz", "pipelines/fuzz.json", once, NULL, &error);
  if (again == NULL)
    {
      g_printerr ("saved text does not load: %s\n", error->message);
      abort ();
    }
  twice = sluice_pipeline_to_bytes (again);
  if (!g_bytes_equal (once, twice))
    abort ();  /* canonical text is a fixed point */
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SluiceDataset) dataset = NULL;
  g_autoptr(SluiceJob) job = NULL;

  check_pipeline (bytes);

  dataset = sluice_dataset_load_from_bytes ("fuzz", "datasets/fuzz.json", bytes, diagnostics, NULL);
  if (dataset)
    {
      g_autoptr(GBytes) out = sluice_dataset_to_bytes (dataset);
      g_autoptr(GPtrArray) problems = sluice_dataset_validate (dataset, NULL);
      g_autoptr(SluiceDataset) again = sluice_dataset_load_from_bytes ("fuzz", "datasets/fuzz.json", out, NULL, NULL);
      if (again == NULL)
        abort ();
    }

  job = sluice_job_load_from_bytes ("fuzz", "jobs/fuzz.json", bytes, diagnostics, NULL);
  if (job)
    {
      g_autoptr(GBytes) out = sluice_job_to_bytes (job);
      g_autoptr(GPtrArray) problems = sluice_job_validate (job, NULL);
      g_autoptr(SluiceJob) again = sluice_job_load_from_bytes ("fuzz", "jobs/fuzz.json", out, NULL, NULL);
      if (again == NULL)
        abort ();
    }
  return 0;
}
