package io.meshplay.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import io.meshplay.broker.BrokerException;
import io.meshplay.broker.PublishOptions;
import io.meshplay.broker.QueueNotFoundException;
import io.meshplay.grpcjson.transcode.JsonInput;
import io.meshplay.codec.Codec;
import io.meshplay.codec.Codecs;
import io.meshplay.codec.TypedBroker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshplay publish <topic> '<json>' --type <Message>}: encodes the JSON as that proto type and
 * publishes it through the broker the way {@link TypedBroker} does (content type, message id and
 * publish time in headers), so subscribers of the apps decode it.
 */
@Command(name = "publish", description = {"Publish one message to a topic (queue) through the broker.",
        "The JSON is encoded as --type, from the example contract or a --descriptor set, and sent as "
                + "application/protobuf (or application/json with --content-type json)."})
final class PublishCommand extends CliCommand {

    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");

    /** {@code --content-type}. */
    enum ContentType { protobuf, json }

    @Parameters(index = "0", paramLabel = "<topic>", description = "The topic (queue), e.g. sample-queue.")
    String topic;

    @Parameters(index = "1", paramLabel = "<json>", description = "The message as JSON, e.g. '{\"say\":\"hello\"}'.")
    String json;

    @Option(names = "--type", required = true, paramLabel = "<type>",
            description = "The message type, e.g. Message (full name or unique simple name).")
    String type;

    @Option(names = "--descriptor", paramLabel = "<file.protoset>",
            description = "A descriptor set (protoc --descriptor_set_out --include_imports) to find --type in; "
                    + "default: the example contract.")
    Path descriptor;

    @Option(names = "--content-type", paramLabel = "protobuf|json", defaultValue = "protobuf",
            description = "How the body is encoded (default ${DEFAULT-VALUE}).")
    ContentType contentType;

    @Option(names = "--header", paramLabel = "name=value", description = "An extra message header (repeatable).")
    Map<String, String> headers = new LinkedHashMap<>();

    @Override
    protected int run(Session session) throws Exception {
        Names.queue(topic);
        JsonInput.checkSyntax(json, "the message");
        Descriptor messageType = BuiltInTypes.of(descriptor).find(type);
        DynamicMessage message = JsonInput.parse(json, messageType, "the message");
        Codec codec = contentType == ContentType.json ? Codecs.JSON : Codecs.PROTOBUF;
        String id;
        try {
            // the traced broker stamps traceparent under a "send <topic>" PRODUCER span, a child of the CLI's own
            id = session.traced("meshplay publish " + topic, Attributes.of(DESTINATION, topic),
                    () -> new TypedBroker(session.tracing().broker(session.broker()), codec)
                            .publish(topic, message, headers, PublishOptions.DEFAULT));
        } catch (QueueNotFoundException e) {
            throw e;
        } catch (BrokerException e) {
            // asked only after a failure: with create-queues on, publishing to a new queue is how it is made
            if (Queues.knownMissing(session, topic)) {
                throw CliException.notFound(ErrorHandler.readable(e));
            }
            // the broker's sentence, not the class of what failed under it (a closed channel in an outage)
            throw CliException.failed("publish to '" + topic + "' failed: " + ErrorHandler.readable(e), e);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("topic", topic);
        result.put("message-id", id);
        result.put("type", messageType.getFullName());
        result.put("content-type", codec.contentType());
        result.put("bytes", codec.encode(message).length);
        result.put("broker", session.brokerType());
        session.output().record(result);
        return ExitCodes.OK;
    }
}
