-- Call records as Graph gives them, with the columns the REST API queries and the raw JSON beside them.
-- ${text} is a large text type: CLOB on H2, TEXT on PostgreSQL.
CREATE TABLE call_records (
  id VARCHAR(128) PRIMARY KEY,
  version BIGINT NOT NULL,
  type VARCHAR(32) NOT NULL,
  start_time TIMESTAMP WITH TIME ZONE NOT NULL,
  end_time TIMESTAMP WITH TIME ZONE NOT NULL,
  organizer_id VARCHAR(128),
  poor BOOLEAN NOT NULL,
  poor_round_trip BOOLEAN NOT NULL,
  poor_packet_loss BOOLEAN NOT NULL,
  poor_jitter BOOLEAN NOT NULL,
  session_count INTEGER NOT NULL,
  stream_count INTEGER NOT NULL,
  stored_at TIMESTAMP WITH TIME ZONE NOT NULL,
  raw ${text} NOT NULL
);
CREATE INDEX call_records_by_start ON call_records (start_time, id);

CREATE TABLE record_participants (
  record_id VARCHAR(128) NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
  participant_id VARCHAR(128) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  display_name VARCHAR(256),
  PRIMARY KEY (record_id, participant_id)
);
CREATE INDEX record_participants_by_participant ON record_participants (participant_id);

CREATE TABLE record_sessions (
  record_id VARCHAR(128) NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
  session_id VARCHAR(128) NOT NULL,
  ordinal INTEGER NOT NULL,
  caller_id VARCHAR(128),
  callee_id VARCHAR(128),
  start_time TIMESTAMP WITH TIME ZONE,
  end_time TIMESTAMP WITH TIME ZONE,
  raw ${text} NOT NULL,
  PRIMARY KEY (record_id, session_id)
);

CREATE TABLE record_segments (
  record_id VARCHAR(128) NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
  session_id VARCHAR(128) NOT NULL,
  segment_id VARCHAR(128) NOT NULL,
  start_time TIMESTAMP WITH TIME ZONE,
  end_time TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (record_id, session_id, segment_id)
);

CREATE TABLE record_streams (
  record_id VARCHAR(128) NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
  session_id VARCHAR(128) NOT NULL,
  segment_id VARCHAR(128) NOT NULL,
  ordinal INTEGER NOT NULL,
  record_start TIMESTAMP WITH TIME ZONE NOT NULL,
  media_label VARCHAR(64),
  audio BOOLEAN NOT NULL,
  stream_id VARCHAR(128),
  direction VARCHAR(32),
  participant_id VARCHAR(128),
  subnet VARCHAR(64),
  connection_type VARCHAR(32),
  packets BIGINT,
  jitter_ms DOUBLE PRECISION,
  packet_loss_rate DOUBLE PRECISION,
  round_trip_ms DOUBLE PRECISION,
  poor BOOLEAN NOT NULL,
  reasons VARCHAR(64) NOT NULL,
  PRIMARY KEY (record_id, session_id, segment_id, ordinal)
);
CREATE INDEX record_streams_by_start ON record_streams (record_start);

CREATE TABLE pstn_calls (
  kind VARCHAR(16) NOT NULL,
  id VARCHAR(128) NOT NULL,
  start_time TIMESTAMP WITH TIME ZONE,
  end_time TIMESTAMP WITH TIME ZONE,
  user_id VARCHAR(128),
  caller_number VARCHAR(64),
  callee_number VARCHAR(64),
  call_type VARCHAR(64),
  duration_seconds INTEGER,
  raw ${text} NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX pstn_calls_by_start ON pstn_calls (start_time);
