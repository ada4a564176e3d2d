/* The strict reader and the canonical writer, table by table. */
#include "config.h"

#include "sluice-json-doc.h"
#include "sluice-json-writer.h"
#include "sluice-model-error.h"

typedef struct
{
  const char *input;
  guint       line;
  guint       column;
  const char *message;   /* a substring of the error */
} BadCase;

static const BadCase bad_cases[] = {
  { "", 1, 1, "the file is empty" },
  { "   \n  ", 2, 3, "the file is empty" },
  { "{", 1, 1, "unterminated object" },
  { "{\"a\": 1", 1, 1, "unterminated object" },
  { "[1, 2", 1, 1, "unterminated array" },
  { "{\"a\": 1,}", 1, 9, "trailing comma" },
  { "[1,]", 1, 4, "trailing comma" },
  { "{\"a\" 1}", 1, 6, "expected “:”" },
  { "{a: 1}", 1, 2, "expected a quoted key" },
  { "{\"a\": 1 \"b\": 2}", 1, 9, "expected “,” or “}”" },
  { "{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key “a”" },
  { "{\n  \"id\": \"x\",\n  \"id\": \"y\"\n}", 3, 3, "duplicate key “id”" },
  { "\"abc", 1, 1, "unterminated string" },
  { "\"a\nb\"", 1, 3, "control character" },
  { "\"\\q\"", 1, 3, "invalid escape" },
  { "\"\\u12\"", 1, 2, "four hexadecimal digits" },
  { "\"\\u0000\"", 1, 2, "\\u0000" },
  { "\"\\uD800\"", 1, 2, "unpaired high surrogate" },
  { "\"\\uDC00\"", 1, 2, "unpaired low surrogate" },
  { "\"\xff\"", 1, 2, "invalid UTF-8" },
  { "\"\xc3\"", 1, 2, "invalid UTF-8" },
  { "\"\xe2\x82\"", 1, 2, "invalid UTF-8" },
  { "\"\xc0\xaf\"", 1, 2, "invalid UTF-8" },          /* overlong */
  { "\"\xed\xa0\x80\"", 1, 2, "invalid UTF-8" },      /* encoded surrogate */
  { "{\"é\": \"ü\", \xff}", 1, 12, "expected a quoted key" },
  { "99999999999999999999", 1, 1, "does not fit in 64 bits" },
  { "-99999999999999999999", 1, 1, "does not fit in 64 bits" },
  { "1e400", 1, 1, "too large" },
  { "01", 1, 1, "leading zeros" },
  { "1.", 1, 3, "digit after the decimal point" },
  { "1e", 1, 3, "digit in the exponent" },
  { "-", 1, 1, "invalid number" },
  { "tru", 1, 1, "expected a value" },
  { "trueish", 1, 1, "expected a value" },
  { "nul", 1, 1, "expected a value" },
  { "{} {}", 1, 4, "unexpected text after the end" },
  { "[1] x", 1, 5, "unexpected text after the end" },
  { "{\"a\": }", 1, 7, "expected a value" },
  { "{\"a\":", 1, 6, "unexpected end of file" },
  { "\xc3\xa9", 1, 1, "outside a string" },
  { "{\"a\": 'x'}", 1, 7, "expected a value" },
  { "{\"a\": NaN}", 1, 7, "expected a value" },
};

static void
test_reader_rejects_malformed_input (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceJsonDoc) doc = NULL;
      guint line = 0, column = 0;

      g_autofree char *shown = g_strescape (c->input, NULL);

      g_test_message ("case %u: %s", i, shown);
      doc = sluice_json_doc_parse (c->input, strlen (c->input), &line, &column, &error);
      g_assert_null (doc);
      g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, c->message));
      g_assert_cmpuint (line, ==, c->line);
      g_assert_cmpuint (column, ==, c->column);
    }
}

static void
test_reader_rejects_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJsonDoc) doc = NULL;
  g_autoptr(SluiceJsonDoc) fine = NULL;
  guint line, column;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  doc = sluice_json_doc_parse (deep->str, deep->len, &line, &column, &error);
  g_assert_null (doc);
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "nesting deeper than 64"));
  g_assert_cmpuint (column, ==, SLUICE_JSON_MAX_DEPTH + 1);

  for (guint i = 0; i < SLUICE_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (guint i = 0; i < SLUICE_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  fine = sluice_json_doc_parse (ok->str, ok->len, NULL, NULL, &error);
  g_assert_nonnull (fine);
}

static void
test_reader_reads_values_and_positions (void)
{
  const char *text =
    "\xEF\xBB\xBF{\n"
    "  \"s\": \"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00 zoë\",\n"
    "  \"i\": -9223372036854775808,\n"
    "  \"d\": 2.5e-3,\n"
    "  \"b\": [true, false, null],\n"
    "  \"é\": {\"x\": 1}\n"
    "}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJsonDoc) doc = sluice_json_doc_parse (text, strlen (text), NULL, NULL, &error);
  JsonObject *root;
  JsonNode *node;
  guint line, column;

  g_assert_no_error (error);
  root = json_node_get_object (sluice_json_doc_get_root (doc));
  g_assert_cmpstr (json_object_get_string_member (root, "s"), ==, "a\"b\\c\né😀 zoë");
  g_assert_cmpint (json_object_get_int_member (root, "i"), ==, G_MININT64);
  g_assert_cmpfloat (json_object_get_double_member (root, "d"), ==, 2.5e-3);

  node = json_object_get_member (root, "d");
  g_assert_true (sluice_json_doc_get_position (doc, node, &line, &column));
  g_assert_cmpuint (line, ==, 4);
  g_assert_cmpuint (column, ==, 8);

  /* Columns count characters: "é" is one. */
  node = json_object_get_member (json_object_get_object_member (root, "é"), "x");
  g_assert_true (sluice_json_doc_get_position (doc, node, &line, &column));
  g_assert_cmpuint (line, ==, 6);
  g_assert_cmpuint (column, ==, 14);

  g_assert_false (sluice_json_doc_get_position (doc, NULL, &line, &column));
  g_assert_cmpuint (line, ==, 0);
}

static char *
rewrite (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJsonDoc) doc = sluice_json_doc_parse (text, strlen (text), NULL, NULL, &error);
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  bytes = sluice_json_write (sluice_json_doc_get_root (doc), NULL);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

typedef struct
{
  const char *input;
  const char *canonical;
} WriteCase;

static const WriteCase write_cases[] = {
  { "{}", "{}\n" },
  { "[]", "[]\n" },
  { "{\"a\":1,\"b\":[1,2,\"x\"],\"c\":{}}",
    "{\n  \"a\": 1,\n  \"b\": [1, 2, \"x\"],\n  \"c\": {}\n}\n" },
  /* Member order is kept as read: canonical order is the model's job. */
  { "{\"z\":1,\"a\":2}", "{\n  \"z\": 1,\n  \"a\": 2\n}\n" },
  /* Inline objects: position, edges and schema entries. */
  { "{\"position\":{\"x\":1,\"y\":-2}}", "{\n  \"position\": {\"x\": 1, \"y\": -2}\n}\n" },
  { "{\"edges\":[{\"from\":\"a.out\",\"to\":\"b.in0\"}]}",
    "{\n  \"edges\": [\n    {\"from\": \"a.out\", \"to\": \"b.in0\"}\n  ]\n}\n" },
  { "{\"schema\":[{\"name\":\"a\",\"type\":\"int\",\"nullable\":false}]}",
    "{\n  \"schema\": [\n    {\"name\": \"a\", \"type\": \"int\", \"nullable\": false}\n  ]\n}\n" },
  /* …but not when they nest. */
  { "{\"position\":{\"x\":[1]}}", "{\n  \"position\": {\n    \"x\": [1]\n  }\n}\n" },
  { "{\"list\":[{\"a\":1}]}", "{\n  \"list\": [\n    {\n      \"a\": 1\n    }\n  ]\n}\n" },
  /* Strings: only quotes, backslashes and control characters escaped. */
  { "[\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u0001\\u007f é\"]",
    "[\"a\\\"b\\\\c/d\\n\\t\\r\\b\\f\\u0001\\u007F é\"]\n" },
  /* Numbers: integers stay integers, doubles shortest and still doubles. */
  { "[0, -0, 1.0, 0.1, 1e21, 2.5e-3, 123456789012345678]",
    "[0, 0, 1.0, 0.1, 1e+21, 0.0025, 123456789012345678]\n" },
  { "[null, true, false]", "[null, true, false]\n" },
};

static void
test_writer_is_canonical (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (write_cases); i++)
    {
      g_autofree char *once = rewrite (write_cases[i].input);
      g_autofree char *twice = rewrite (once);

      g_test_message ("case %u: %s", i, write_cases[i].input);
      g_assert_cmpstr (once, ==, write_cases[i].canonical);
      /* Canonical text is a fixed point. */
      g_assert_cmpstr (twice, ==, once);
    }
}

static void
test_writer_records_positions (void)
{
  const char *text = "{\"a\":[1,{\"b\":\"ü\"}],\"position\":{\"x\":1,\"y\":2}}";
  g_autoptr(SluiceJsonDoc) doc = sluice_json_doc_parse (text, strlen (text), NULL, NULL, NULL);
  g_autoptr(GHashTable) positions = g_hash_table_new (NULL, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SluiceJsonDoc) again = NULL;
  JsonObject *root = json_node_get_object (sluice_json_doc_get_root (doc));
  JsonNode *b = json_object_get_member (json_array_get_object_element (json_object_get_array_member (root, "a"), 1), "b");
  JsonNode *y = json_object_get_member (json_object_get_object_member (root, "position"), "y");
  guint64 packed;

  bytes = sluice_json_write (sluice_json_doc_get_root (doc), positions);
  /* What the writer says must be where the reader finds it. */
  again = sluice_json_doc_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL, NULL, NULL);
  {
    JsonObject *r2 = json_node_get_object (sluice_json_doc_get_root (again));
    JsonNode *b2 = json_object_get_member (json_array_get_object_element (json_object_get_array_member (r2, "a"), 1), "b");
    JsonNode *y2 = json_object_get_member (json_object_get_object_member (r2, "position"), "y");
    guint line, column;

    packed = GPOINTER_TO_SIZE (g_hash_table_lookup (positions, b));
    sluice_json_doc_get_position (again, b2, &line, &column);
    g_assert_cmpuint (packed >> 32, ==, line);
    g_assert_cmpuint (packed & 0xFFFFFFFF, ==, column);

    packed = GPOINTER_TO_SIZE (g_hash_table_lookup (positions, y));
    sluice_json_doc_get_position (again, y2, &line, &column);
    g_assert_cmpuint (packed >> 32, ==, line);
    g_assert_cmpuint (packed & 0xFFFFFFFF, ==, column);
    g_assert_cmpuint (line, ==, 8);
    g_assert_cmpuint (column, ==, 29);
  }
}

static void
test_deep_copy_is_independent (void)
{
  const char *text = "{\"a\":{\"b\":[1,2]}}";
  g_autoptr(SluiceJsonDoc) doc = sluice_json_doc_parse (text, strlen (text), NULL, NULL, NULL);
  g_autoptr(JsonNode) copy = sluice_json_node_deep_copy (sluice_json_doc_get_root (doc));
  JsonArray *original = json_object_get_array_member (
    json_object_get_object_member (json_node_get_object (sluice_json_doc_get_root (doc)), "a"), "b");

  json_array_add_int_element (original, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_object_get_object_member (json_node_get_object (copy), "a"), "b")), ==, 2);
  g_assert_null (sluice_json_node_deep_copy (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/json/reader-rejects-malformed-input", test_reader_rejects_malformed_input);
  g_test_add_func ("/sluice/core/json/reader-rejects-deep-nesting", test_reader_rejects_deep_nesting);
  g_test_add_func ("/sluice/core/json/reader-reads-values-and-positions", test_reader_reads_values_and_positions);
  g_test_add_func ("/sluice/core/json/writer-is-canonical", test_writer_is_canonical);
  g_test_add_func ("/sluice/core/json/writer-records-positions", test_writer_records_positions);
  g_test_add_func ("/sluice/core/json/deep-copy-is-independent", test_deep_copy_is_independent);

  return g_test_run ();
}
