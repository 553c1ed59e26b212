package io.meshplay.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import io.meshplay.grpcjson.transcode.JsonInput;

/** Requests for a streaming call, one JSON object per line of stdin, read as the call goes (blank lines skipped). */
final class StdinRequests implements Iterator<DynamicMessage> {

    private final BufferedReader lines;
    private final Descriptor type;
    private String next;
    private int lineNumber;

    StdinRequests(InputStream in, Descriptor type) {
        this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.type = type;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            String line;
            try {
                line = lines.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read stdin", e);
            }
            if (line == null) {
                return false;
            }
            lineNumber++;
            if (!line.isBlank()) {
                next = line;
            }
        }
        return true;
    }

    @Override
    public DynamicMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String line = next;
        next = null;
        return JsonInput.parse(line, type, "stdin line " + lineNumber);
    }
}
