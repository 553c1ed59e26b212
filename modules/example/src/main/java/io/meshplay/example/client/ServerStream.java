package io.meshplay.example.client;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import io.grpc.Channel;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.StreamingRequest;
import io.meshplay.example.proto.StreamingResponse;

/** The server-stream call of client-stream, on any channel. */
public final class ServerStream {

    private ServerStream() {
    }

    /** Asks for {@code count} responses; returns their counts in order. */
    public static List<Long> stream(Channel channel, long count, LongConsumer onResponse) {
        Iterator<StreamingResponse> responses = ExampleGrpc.newBlockingStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .stream(StreamingRequest.newBuilder().setCount(count).build());
        List<Long> counts = new ArrayList<>();
        while (responses.hasNext()) {
            long c = responses.next().getCount();
            counts.add(c);
            onResponse.accept(c);
        }
        return counts;
    }
}
