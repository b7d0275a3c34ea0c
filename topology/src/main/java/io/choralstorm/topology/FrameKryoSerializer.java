package io.choralstorm.topology;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.choralstorm.protocol.Frame;
import io.choralstorm.protocol.FrameException;
import io.choralstorm.protocol.FrameValidator;
import io.choralstorm.protocol.FrameWriter;
import io.choralstorm.protocol.ValidationPolicy;

/**
 * Sends a {@link Frame} between workers in its Kafka record form ({@link FrameWriter#toRecord}) and reads
 * it back with the protocol validator, so a frame means the same on both sides. The record form has no
 * room for {@link Frame#timestampAssigned()}, so one flag byte precedes it.
 */
public final class FrameKryoSerializer extends Serializer<Frame> {
    private final FrameValidator validator = new FrameValidator(ValidationPolicy.defaults());

    @Override
    public void write(Kryo kryo, Output output, Frame frame) {
        byte[] record = FrameWriter.toRecord(frame);
        output.writeBoolean(frame.timestampAssigned());
        output.writeVarInt(record.length, true);
        output.writeBytes(record);
    }

    @Override
    public Frame read(Kryo kryo, Input input, Class<? extends Frame> type) {
        boolean timestampAssigned = input.readBoolean();
        byte[] record = input.readBytes(input.readVarInt(true));
        Frame frame;
        try {
            frame = validator.parseRecord(record);
        } catch (FrameException e) {
            throw new KryoException("a frame sent between workers no longer validates: " + e.getMessage(), e);
        }
        if (frame.timestampAssigned() == timestampAssigned) {
            return frame;
        }
        return new Frame(frame.deviceId(), frame.deviceTimestamp(), frame.receivedAt(), timestampAssigned,
            frame.metrics());
    }
}
