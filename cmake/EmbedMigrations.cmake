# Generates a C++ source that holds every migrations/*.sql file verbatim, so
# `tessera migrate` works from any working directory and build directory.
# Invoked in script mode: cmake -DMIGRATIONS_DIR=… -DOUTPUT=… -P EmbedMigrations.cmake
file(GLOB files RELATIVE "${MIGRATIONS_DIR}" "${MIGRATIONS_DIR}/*.sql")
list(SORT files)
set(body "")
foreach(name IN LISTS files)
  file(READ "${MIGRATIONS_DIR}/${name}" sql)
  string(FIND "${sql}" ")tessera_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${name} contains the raw-string delimiter")
  endif()
  string(APPEND body "    {\"${name}\", R\"tessera_sql(${sql})tessera_sql\"},\n")
endforeach()
set(content "// Generated from migrations/*.sql by cmake/EmbedMigrations.cmake. Do not edit.
#include \"store/postgres/embedded_migrations.hpp\"

namespace tessera::store::postgres {

const std::vector<EmbeddedMigration>& embedded_migrations() {
  static const std::vector<EmbeddedMigration> migrations{
${body}  };
  return migrations;
}

}  // namespace tessera::store::postgres
")
# Only rewrite when the content changed, so unrelated builds stay incremental.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
