-- Indexes that hold every column the summary reads, so that its scans over a range need no table lookups.
CREATE INDEX call_records_summary ON call_records (start_time, poor, poor_round_trip, poor_packet_loss, poor_jitter);
CREATE INDEX record_streams_summary ON record_streams (record_start, audio, connection_type, poor, jitter_ms,
  packet_loss_rate, round_trip_ms);
