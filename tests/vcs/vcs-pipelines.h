/* A small pipeline file for the merge tests, with placeholders:
 * %s label of "orders", %s condition of "recent", %d x of "recent". */
#pragma once

#define VCS_TEST_PIPELINE \
  "{\n" \
  "  \"format_version\": 1,\n" \
  "  \"gems\": [\n" \
  "    {\n" \
  "      \"id\": \"orders\",\n" \
  "      \"type\": \"Source\",\n" \
  "      \"label\": \"%s\",\n" \
  "      \"position\": {\"x\": 80, \"y\": 120},\n" \
  "      \"config\": {\n" \
  "        \"dataset\": \"orders\"\n" \
  "      }\n" \
  "    },\n" \
  "    {\n" \
  "      \"id\": \"recent\",\n" \
  "      \"type\": \"Filter\",\n" \
  "      \"label\": \"Recent\",\n" \
  "      \"position\": {\"x\": %d, \"y\": 120},\n" \
  "      \"config\": {\n" \
  "        \"condition\": \"%s\"\n" \
  "      }\n" \
  "    }\n" \
  "  ],\n" \
  "  \"edges\": [\n" \
  "    {\"from\": \"orders.out\", \"to\": \"recent.in0\"}\n" \
  "  ]\n" \
  "}\n"
