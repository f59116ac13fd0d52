// Suites' typed doubles and NestJS identifiers (what its postinstall scripts would patch in).
/// <reference types="@suites/doubles.jest/unit" />
/// <reference types="@suites/di.nestjs" />
