/**
 * The records bundle ({@code plugins.records}): subscribes to Graph's {@code /communications/callRecords}, fetches
 * every notified record with its sessions and segments, classifies its audio streams as Microsoft's Call Quality
 * Dashboard does, stores it in SQL (embedded H2 by default, PostgreSQL when configured) and serves it under
 * {@code /api/v1/records}. See {@code docs/records.md}.
 */
package dev.switchboard.records;
