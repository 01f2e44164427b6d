BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    # What pressing Tab at the end of $Line offers.
    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

Describe 'Argument completion' -Tag CI {
    It 'offers nothing, and fails nothing, without a connection' {
        Get-WeComConnection | Disconnect-WeCom
        Get-Completion 'Get-WeComDepartment -Id ' | Should -BeNullOrEmpty
        Get-Completion 'Get-WeComTag -Name ' | Should -BeNullOrEmpty
    }

    Context 'connected to the sandbox' {
        BeforeAll {
            Connect-WeCom -Sandbox | Out-Null
        }

        AfterAll {
            Get-WeComConnection | Disconnect-WeCom
        }

        It 'completes department ids, listed with their name and the path as tooltip' {
            $completions = Get-Completion 'Get-WeComDepartment -Id '
            $completions.CompletionText | Should -Be @('1', '2', '5', '6', '3', '7', '4', '8', '9', '10')
            $mail = $completions | Where-Object CompletionText -EQ '2'
            $mail.ListItemText | Should -BeExactly '2 邮箱产品部'
            $mail.ToolTip | Should -BeExactly '/广州研发中心/邮箱产品部'
        }

        It 'completes department ids by the start of the id or of the name' {
            (Get-Completion 'Get-WeComDepartment -Id 1').CompletionText | Should -Be @('1', '10')
            (Get-Completion 'Get-WeComUser -DepartmentId 邮箱').CompletionText | Should -Be @('2', '5', '6')
        }

        It 'completes tag ids and tag names' {
            (Get-Completion 'Get-WeComTagMember -TagId ').ListItemText | Should -Be @('1 技术委员会', '2 新员工', '3 值班')
            (Get-Completion 'Get-WeComTag -TagId 2').ToolTip | Should -BeExactly '新员工'
            $tag = Get-Completion 'Get-WeComTag -Name 技术'
            $tag.CompletionText | Should -BeExactly '技术委员会'
            $tag.ToolTip | Should -BeExactly 'Tag 1'
        }

        It 'completes from the connection given with -Connection' {
            Connect-WeCom -Sandbox -Name app -Secret (ConvertTo-TestSecret $SandboxAppSecret) | Out-Null
            try {
                (Get-Completion 'Get-WeComDepartment -Connection app -Id ').CompletionText | Should -Be @('2', '5', '6')
                (Get-Completion 'Get-WeComDepartment -Connection Sandbox -Id ').Count | Should -Be 10
            }
            finally {
                Disconnect-WeCom -Name app
            }
        }
    }
}
