#pragma once

#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace clusterdeck {

// An error a person can act on: what went wrong and, where it applies, where (file:line:column, host, step).
struct Error {
    QString message;
    QString where; // "cluster.yaml:12:5", "gw@127.0.10.1:2222 step persist", "" when nothing better is known

    QString toString() const { return where.isEmpty() ? message : where + QStringLiteral(": ") + message; }
};

// std::expected-style result: a value or an Error. (GCC 12 has no <expected>.)
template <typename T> class Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<T>(m_state); }
    const T &value() const & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

// Result for operations that return nothing on success.
class Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) {}
    static Status success() { return {}; }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace clusterdeck
