package io.meshplay.grpcjson;

import java.util.List;

import com.google.protobuf.DynamicMessage;
import io.meshplay.example.proto.ExampleOuterClass;
import io.meshplay.grpcjson.descriptor.ProtoTypes;
import io.meshplay.grpcjson.reflection.MethodRef;
import io.meshplay.grpcjson.transcode.JsonInput;
import io.meshplay.grpcjson.transcode.JsonOutput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranscodeTest {

    private final ProtoTypes types = ProtoTypes.of(List.of(ExampleOuterClass.getDescriptor()), "the example contract");

    @Test
    void jsonRoundTripsThroughADynamicMessage() {
        DynamicMessage request = JsonInput.parse("{\"name\":\"x\"}", types.find("Request"), "the request");
        assertThat(JsonOutput.of(request).toString()).isEqualTo("{\"name\":\"x\"}");
    }

    @Test
    void malformedJsonNamesThePosition() {
        assertThatThrownBy(() -> JsonInput.parse("{\"name\":}", types.find("Request"), "the request"))
                .isInstanceOfSatisfying(GrpcJsonException.class, e -> assertThat(e.kind()).isEqualTo(GrpcJsonException.Kind.BAD_INPUT))
                .hasMessageContaining("malformed JSON in the request").hasMessageContaining("line 1 column 9");
    }

    @Test
    void jsonThatDoesNotFitListsTheFields() {
        assertThatThrownBy(() -> JsonInput.parse("{\"nom\":\"x\"}", types.find("Request"), "the request"))
                .isInstanceOfSatisfying(GrpcJsonException.class, e -> assertThat(e.kind()).isEqualTo(GrpcJsonException.Kind.BAD_INPUT))
                .hasMessageContaining("does not fit Request").hasMessageContaining("its fields: name");
    }

    @Test
    void unknownTypeIsNotFound() {
        assertThatThrownBy(() -> types.find("Nope"))
                .isInstanceOfSatisfying(GrpcJsonException.class, e -> assertThat(e.kind()).isEqualTo(GrpcJsonException.Kind.NOT_FOUND));
    }

    @Test
    void methodNamesParseInEveryWrittenForm() {
        assertThat(MethodRef.parse("/Example/Call")).isEqualTo(new MethodRef("Example", "Call"));
        assertThat(MethodRef.parse("pkg.Svc.Method")).isEqualTo(new MethodRef("pkg.Svc", "Method"));
        assertThatThrownBy(() -> MethodRef.parse("Call")).isInstanceOf(GrpcJsonException.class);
    }

    @Test
    void schemaListsTheFieldsOfTheInputType() {
        assertThat(io.meshplay.grpcjson.transcode.MessageSchema.of(types.find("Request")).toString())
                .isEqualTo("{\"fields\":[{\"name\":\"name\",\"jsonName\":\"name\",\"type\":\"string\",\"repeated\":false,"
                        + "\"map\":false}]}");
    }

    @Test
    void missingResourceIsEmpty() {
        assertThat(ProtoTypes.resource(getClass().getClassLoader(), "no/such.protoset", "x")).isEmpty();
    }
}
