// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace airlock {

// Memory aligned for direct I/O (page size): what a file opened with O_DIRECT accepts.
constexpr std::size_t k_direct_io_alignment = 4096;

// A fixed-size heap buffer at a page-aligned address; move-only.
class AlignedBuffer
{
  public:
    AlignedBuffer() = default;
    // `size` is rounded up to a multiple of the alignment.
    explicit AlignedBuffer(std::size_t size);

    char* data() const
    {
        return m_data.get();
    }

    std::size_t size() const
    {
        return m_size;
    }

    std::span<char> span() const
    {
        return {m_data.get(), m_size};
    }

  private:
    struct Free
    {
        void operator()(char* p) const noexcept;
    };

    std::unique_ptr<char, Free> m_data;
    std::size_t m_size = 0;
};

} // namespace airlock
